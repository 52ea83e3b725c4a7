import type { enLearning } from './enLearning.js';

/** Mensajes en español sobre lo que la clasificación promete y aprende. */
export const esLearning: Record<keyof typeof enLearning, string> = {
  'calibration.about': 'Alrededor del',
  'calibration.filed': 'de las fotos nuevas se archivarán solas; como mucho el',
  'calibration.wrong': 'de ellas en la clase equivocada.',
  'calibration.tooFew': 'Todavía hay muy pocas fotos etiquetadas para prometer como mucho el',
  'calibration.fewest': 'hacen falta al menos',
  'calibration.until.threshold':
    'Mientras tanto, las fotos se archivan por el umbral y el margen fijos, sin promesa.',
  'calibration.until.review': 'Mientras tanto, las fotos nuevas esperan revisión.',
  'calibration.basedOn': 'según',
  'calibration.curve': 'Fotos en la clase equivocada frente a fotos archivadas solas',
  'calibration.curveX': 'archivadas solas',
  'calibration.curveY': 'de ellas en la clase equivocada',
  'calibration.chosen': 'la regla calibrada',
  'count.labelled.one': 'foto etiquetada',
  'count.labelled.other': 'fotos etiquetadas',
  'count.photo.one': 'foto',
  'count.photo.other': 'fotos',
  'reason.evidence': 'aún hay pocas fotos etiquetadas',
  'promise.heading': 'Cuánto se equivoca la clasificación',
  'promise.none': 'Nada que prometer todavía: hacen falta al menos dos clases con fotos etiquetadas.',
  'promise.fixed':
    'La clasificación decide por un umbral y un margen fijos: no promete nada sobre cuánto se equivoca.',
  'promise.class': 'Clase',
  'promise.labelled': 'Etiquetadas',
  'promise.filed': 'Archivadas',
  'promise.corrected': 'Corregidas',
  'promise.undone': 'Deshechas',
  'promise.confusions': 'Correcciones',
  'promise.suggestedAs': 'propuestas como',
  'promise.belongedIn': 'eran de',
  'review.keyAdopt': 'guardar la foto recién corregida como referencia',
  'review.idle.nothingCorrected':
    'Nada archivado aquí iba contra una sugerencia: no hay corrección que guardar.',
  'review.offer.filed': 'Archivada en',
  'review.offer.suggested': 'donde ClipSort proponía',
  'review.offer.why': 'como referencia enseña a todos los modos cómo es esa clase.',
  'review.offer.keep': 'Guardarla como referencia de',
  'settings.decideBy': 'Decidir por',
  'settings.decideBy.auto': 'El error que acepto, cuando ClipSort pueda prometerlo',
  'settings.decideBy.error': 'El error que acepto, y nada más',
  'settings.decideBy.threshold': 'Un umbral y un margen fijos',
  'settings.decideBy.auto.about':
    'Archiva tantas fotos como permitan las etiquetadas dentro del error; hasta que haya bastantes, por el umbral y el margen.',
  'settings.decideBy.error.about':
    'Archiva solo lo que ClipSort puede prometer: hasta que haya bastantes fotos etiquetadas, todas esperan revisión.',
  'settings.decideBy.threshold.about':
    'Archiva cada foto cuya puntuación y ventaja alcancen el umbral y el margen, sin promesa.',
  'settings.maxError': 'Fotos en la clase equivocada, como mucho (%)',
  'settings.maxErrorAbout': 'De las fotos archivadas solas; vacío para el predeterminado.',
};
