import type { ErrorMessageKey } from './enErrors.js';

/** Spanish messages for the engine's error codes; the type makes a missing or extra key a compile error. */
export const esErrors: Record<ErrorMessageKey, string> = {
  'error.code.invalid-input': 'Parte de lo enviado no es válido.',
  'error.code.unknown-command': 'Esta página pidió algo que ClipSort no conoce; vuelve a cargar la página.',
  'error.code.internal': 'ClipSort tuvo un problema inesperado; inténtalo de nuevo.',
  'error.code.invalid-json': 'No se pudo leer la petición; vuelve a cargar la página.',
  'error.code.invalid-message': 'No se pudo leer la petición; vuelve a cargar la página.',
  'error.code.too-large': 'La petición es demasiado grande.',
  'error.code.method': 'No se pudo leer la petición; vuelve a cargar la página.',
  'error.code.content-type': 'No se pudo leer la petición; vuelve a cargar la página.',
  'error.code.forbidden': 'Solo las páginas de ClipSort pueden enviar órdenes.',
  'error.code.engine-restarted': 'El motor se reinició; inténtalo de nuevo.',
  'error.code.no-library': 'No hay ninguna biblioteca abierta: abre o crea una primero.',
  'error.code.library-fixed':
    'Este servidor solo sirve una biblioteca; inicia otro clipsort serve para trabajar con otra.',
  'error.code.not-a-library':
    'Esta carpeta no es una biblioteca de ClipSort (no tiene carpeta Classes/); crea primero una biblioteca ahí.',
  'error.code.not-a-folder': 'Eso es un archivo, no una carpeta.',
  'error.code.file-still-copying': 'Esta foto aún se está copiando; se ordenará cuando termine la copia.',
  'error.code.library-db-damaged': 'El índice de la biblioteca está dañado; tus fotos no se ven afectadas.',
  'error.code.state-outside-library':
    'La carpeta .clipsort o el índice de la biblioteca es un enlace fuera de ella.',
  'error.code.library-busy':
    'Otro ClipSort está ordenando o moviendo archivos de esta biblioteca; detenlo primero.',
  'error.code.library-read-only':
    'Esta biblioteca se abrió solo para mirar; ábrela de nuevo para clasificar o mover archivos.',
  'error.code.library-db': 'No se puede abrir el índice de la biblioteca.',
  'error.code.library-newer':
    'Una versión más nueva de ClipSort usó esta biblioteca; actualiza ClipSort para abrirla.',
  'error.code.path-outside-library': 'Esa ruta sale de la biblioteca.',
  'error.code.folder-unreadable': 'No se puede leer una carpeta de la biblioteca.',
  'error.code.path-too-long':
    'La ruta es más larga de lo que permite el sistema; la carpeta se ha dejado donde está, con sus archivos.',
  'error.code.name-not-utf8':
    'El nombre no es UTF-8 válido, así que ClipSort no puede usarlo; se ha dejado donde está (cámbiale el nombre para clasificarlo).',
  'error.code.nested-library': 'Es otra biblioteca de ClipSort; no se toca.',
  'error.code.no-classes': 'Aún no hay clases: crea una clase primero.',
  'error.code.recovery-failed':
    'Un movimiento interrumpido aún no se pudo resolver; se volverá a intentar en el próximo inicio.',
  'error.code.already-there': 'La imagen ya está de vuelta en su carpeta; no se movió nada.',
  'error.code.file-missing': 'El archivo ya no existe.',
  'error.code.file-unreadable': 'No se puede leer el archivo.',
  'error.code.file-symlink': 'Es un enlace simbólico; ClipSort solo lee archivos normales.',
  'error.code.not-a-file': 'No es un archivo normal.',
  'error.code.file-busy': 'Otro programa está usando el archivo; se volverá a intentar.',
  'error.code.file-changing':
    'El archivo aún está cambiando (quizá se está copiando); se volverá a intentar.',
  'error.code.file-changed': 'El archivo cambió mientras se movía, así que se dejó donde estaba.',
  'error.code.image-empty': 'El archivo está vacío.',
  'error.code.image-too-large': 'La imagen es demasiado grande para decodificarla con seguridad.',
  'error.code.image-unsupported': 'No es una imagen en un formato que ClipSort pueda leer.',
  'error.code.image-corrupt': 'La imagen está dañada o incompleta (quizá aún se está copiando).',
  'error.code.image-crashed-decoder': 'Esta imagen hizo fallar al decodificador, así que se apartó.',
  'error.code.model-missing':
    'No hay ningún modelo CLIP instalado: descárgalo o importa una carpeta de modelo.',
  'error.code.model-unsupported': 'ClipSort no puede usar este modelo.',
  'error.code.model-broken': 'Los archivos del modelo están dañados; descárgalo o impórtalo de nuevo.',
  'error.code.model-invalid': 'Esa carpeta no es un modelo CLIP completo.',
  'error.code.model-exists': 'Ese modelo ya está instalado.',
  'error.code.model-busy': 'Otro ClipSort está usando la carpeta del modelo; inténtalo de nuevo.',
  'error.code.model-unknown': 'No existe ese modelo en el catálogo.',
  'error.code.model-record-invalid': 'La lista de archivos del modelo está dañada; descárgalo de nuevo.',
  'error.code.model-unrecorded': 'El modelo no tiene lista de archivos; impórtalo o descárgalo de nuevo.',
  'error.code.manifest-invalid': 'El catálogo de modelos no es válido.',
  'error.code.provider-unavailable':
    'Ese proveedor de ejecución no está disponible en este equipo; elige la CPU.',
  'error.code.inference-crashed': 'El proceso del modelo se detuvo inesperadamente; se volverá a iniciar.',
  'error.code.download-failed':
    'La descarga falló; comprueba la conexión e inténtalo de nuevo (continúa donde se quedó).',
  'error.code.download-corrupt':
    'Un archivo descargado no coincidía con su suma de comprobación, así que se descartó.',
  'error.code.download-unverifiable':
    'Un archivo del modelo no tiene con qué comprobarse, así que no se descargó.',
  'error.code.download-cancelled': 'La descarga se canceló.',
  'error.code.disk-full': 'El disco está lleno.',
  'error.code.name-taken':
    'Otro programa ocupó una y otra vez los nombres que este grupo de archivos necesita en su destino; los archivos se quedaron donde estaban.',
  'error.code.name-unavailable': 'No se encontró un nombre libre para el archivo en su destino.',
  'error.code.copy-mismatch': 'La copia no coincidía con el original, así que se conservó el original.',
  'error.code.bad-name': 'El nombre del archivo no se puede usar en su destino.',
  'error.code.move-unverified': 'No se pudo verificar el movimiento, así que se conservó el original.',
  'error.code.destination-readonly':
    'La carpeta de destino es de solo lectura, o está en un disco montado como de solo lectura.',
  'error.code.folder-is-link':
    'Una carpeta del camino es un enlace simbólico; ClipSort solo mueve archivos desde y hacia carpetas reales.',
  'error.code.folder-changed':
    'Una carpeta se reemplazó o se movió mientras se movía la imagen, así que la imagen se quedó donde estaba.',
  'error.code.source-readonly':
    'La carpeta donde está la imagen es de solo lectura, así que no se puede sacar de ella.',
  'error.code.move-denied':
    'Permiso denegado: la carpeta puede ser de solo lectura o el archivo estar en uso.',
  'error.code.name-too-long': 'La ruta es demasiado larga para el disco de destino.',
  'error.code.move-failed': 'No se pudo mover el archivo.',
  'error.code.serve-listen': 'ClipSort no puede escuchar en esa dirección y puerto.',
  'error.code.captions-empty':
    'El archivo de descripciones no contiene ninguna: necesita una fila por imagen (CSV filename,category,caption, o JSON por categoría).',
  'error.code.captions-malformed': 'El archivo de descripciones no se puede leer como CSV ni como JSON.',
  'error.code.captions-missing-column':
    'La primera fila del archivo de descripciones debe nombrar las columnas filename,category,caption.',
  'error.code.encoders-mismatch':
    'Los dos codificadores usan espacios de tamaños distintos: elige un codificador de imágenes y uno de texto del mismo tamaño.',
  'error.code.captions-no-images':
    'Se encontraron muy pocas imágenes del archivo de descripciones para puntuarlas; se necesitan al menos dos.',
  'error.code.captions-too-many':
    'El archivo de descripciones tiene demasiadas filas para evaluarlas a la vez: divídelo.',
  'error.code.captions-too-large':
    'El archivo de descripciones es demasiado grande para enviarlo (768 KiB como máximo): divídelo.',
  'error.code.captions-unreadable': 'No se puede leer el archivo de descripciones.',
  'error.code.desktop-only':
    'Solo la aplicación de escritorio de ClipSort puede hacer esto; esto es un navegador.',
  'error.code.duplicates-too-many':
    'Hay tantas imágenes así de parecidas que ya no son casi duplicados: sube el umbral.',
  'error.code.folder-missing': 'Esa carpeta no existe.',
  'error.code.invalid-arguments': 'Las opciones de la orden no encajan entre sí.',
  'error.code.move-unknown': 'No existe ese movimiento.',
  'error.code.native-module':
    'Una parte nativa de ClipSort está compilada para otro entorno; vuelve a compilarla (npm run native:node, o npm start para la aplicación de escritorio).',
  'error.code.not-undoable':
    'Ese movimiento no se puede deshacer (era un deshacer, ya está deshecho o nunca terminó).',
  'error.code.analysis-crashed':
    'El análisis se detuvo inesperadamente; quizá la biblioteca es demasiado grande para la memoria de este equipo.',
  'error.code.copy-denied': 'Permiso denegado: no se pudo copiar el archivo.',
  'error.code.copy-failed': 'No se pudo copiar el archivo.',
  'error.code.too-many-images':
    'Este método admite menos imágenes de las que tiene la biblioteca; usa k-means en su lugar.',
  'error.code.invalid-range': 'El valor más pequeño del intervalo es mayor que el más grande.',
  'error.code.prompt-file-truncated':
    'El prompt.txt de esta clase es demasiado largo: solo se usaron sus primeros 16 KiB y 64 descripciones.',
  'error.code.prompt-file-refused':
    'El prompt.txt de esta clase no es un archivo normal, así que se ignoró y se usa el nombre de la clase.',
};
