/** English messages for the engine's error codes (see lib/errors.ts), kept apart from the page's own strings. */
export const enErrors = {
  'error.code.invalid-input': 'Some of what was sent is not valid.',
  'error.code.unknown-command': 'This page asked for something ClipSort does not know; reload the page.',
  'error.code.internal': 'ClipSort hit an unexpected problem; try again.',
  'error.code.invalid-json': 'The request could not be read; reload the page.',
  'error.code.invalid-message': 'The request could not be read; reload the page.',
  'error.code.too-large': 'The request is too large.',
  'error.code.method': 'The request could not be read; reload the page.',
  'error.code.content-type': 'The request could not be read; reload the page.',
  'error.code.forbidden': "Only ClipSort's own pages may send commands.",
  'error.code.engine-restarted': 'The engine restarted; try again.',
  'error.code.no-library': 'No library is open: open or create one first.',
  'error.code.library-fixed':
    'This server serves one library only; start another clipsort serve to work on another one.',
  'error.code.not-a-library':
    'This folder is not a ClipSort library (it has no Classes/ folder); create a library there first.',
  'error.code.not-a-folder': 'That is a file, not a folder.',
  'error.code.file-still-copying':
    'This photo is still being copied; it will be sorted once the copy has finished.',
  'error.code.library-db-damaged': "The library's index is damaged; your photos are not affected.",
  'error.code.state-outside-library':
    "The library's .clipsort folder or index is a link to outside the library.",
  'error.code.library-busy': 'Another ClipSort is sorting or moving files in this library; stop it first.',
  'error.code.library-read-only':
    'This library was opened only to look; open it again to sort or move files.',
  'error.code.library-db': "The library's index cannot be opened.",
  'error.code.library-newer': 'A newer ClipSort last used this library; update ClipSort to open it.',
  'error.code.path-outside-library': 'That path leads outside the library.',
  'error.code.folder-unreadable': 'A folder of the library cannot be read.',
  'error.code.path-too-long':
    'The path is longer than the system allows; the folder was left where it is, with its files.',
  'error.code.name-not-utf8':
    'The name is not valid UTF-8, so ClipSort cannot handle it; it was left where it is (rename it to sort it).',
  'error.code.nested-library': 'This is another ClipSort library; it is left alone.',
  'error.code.no-classes': 'There are no classes yet: create a class first.',
  'error.code.recovery-failed':
    'An interrupted move could not be settled yet; it will be tried again at the next start.',
  'error.code.already-there': 'The image is already back in its folder; nothing was moved.',
  'error.code.file-missing': 'The file is gone.',
  'error.code.file-unreadable': 'The file cannot be read.',
  'error.code.file-symlink': 'This is a symbolic link; ClipSort only reads regular files.',
  'error.code.not-a-file': 'This is not a regular file.',
  'error.code.file-busy': 'The file is in use by another program; it will be tried again.',
  'error.code.file-changing': 'The file is still changing (it may be copying); it will be tried again.',
  'error.code.file-changed': 'The file changed while it was being moved, so it was left where it was.',
  'error.code.image-empty': 'The file is empty.',
  'error.code.image-too-large': 'The image is too large to be decoded safely.',
  'error.code.image-unsupported': 'This is not an image in a format ClipSort can read.',
  'error.code.image-corrupt': 'The image is damaged or truncated (it may still be copying).',
  'error.code.image-crashed-decoder': 'This image crashed the image decoder, so it was set aside.',
  'error.code.model-missing': 'No CLIP model is installed: download it or import a model folder.',
  'error.code.model-unsupported': 'This model is not one ClipSort can use.',
  'error.code.model-broken': "The model's files are damaged; download or import it again.",
  'error.code.model-invalid': 'That folder is not a complete CLIP model.',
  'error.code.model-exists': 'That model is already installed.',
  'error.code.model-busy': 'The model folder is in use by another ClipSort; try again.',
  'error.code.model-unknown': 'There is no such model in the catalogue.',
  'error.code.model-record-invalid': "The model's list of files is damaged; download it again.",
  'error.code.model-unrecorded': 'The model has no list of its files; import or download it again.',
  'error.code.manifest-invalid': 'The model catalogue is not valid.',
  'error.code.provider-unavailable':
    'That execution provider is not available on this computer; choose the CPU.',
  'error.code.inference-crashed': 'The model process stopped unexpectedly; it will be started again.',
  'error.code.download-failed':
    'The download failed; check the connection and try again (it resumes where it stopped).',
  'error.code.download-corrupt': 'A downloaded file did not match its checksum, so it was discarded.',
  'error.code.download-unverifiable':
    'A model file has nothing to check it against, so it was not downloaded.',
  'error.code.download-cancelled': 'The download was cancelled.',
  'error.code.disk-full': 'The disk is full.',
  'error.code.name-taken':
    'Another program kept taking the names this group of files needs at its destination; the files stayed where they were.',
  'error.code.name-unavailable': 'No free name was found for the file at its destination.',
  'error.code.copy-mismatch': 'The copy did not match the original, so the original was kept.',
  'error.code.bad-name': "The file's name cannot be used at its destination.",
  'error.code.move-unverified': 'The move could not be verified, so the original was kept.',
  'error.code.destination-readonly': 'The destination folder is read-only, or on a disk mounted read-only.',
  'error.code.folder-is-link':
    'A folder on the way is a symbolic link; ClipSort only moves files into and out of real folders.',
  'error.code.folder-changed':
    'A folder was replaced or moved while the image was being moved, so the image was left where it was.',
  'error.code.source-readonly': 'The folder the image is in is read-only, so it cannot be taken out of it.',
  'error.code.move-denied': 'Permission denied: the folder may be read-only, or the file in use.',
  'error.code.name-too-long': 'The path is too long for the destination disk.',
  'error.code.move-failed': 'The file could not be moved.',
  'error.code.serve-listen': 'ClipSort cannot listen on that address and port.',
  'error.code.captions-empty':
    'The captions file holds no captions: it needs a row per image (CSV filename,category,caption, or JSON by category).',
  'error.code.captions-malformed': 'The captions file cannot be read as CSV or JSON.',
  'error.code.captions-missing-column':
    "The captions file's first row must name the columns filename,category,caption.",
  'error.code.encoders-mismatch':
    'The two encoders embed in spaces of different sizes: pick an image encoder and a text encoder of the same size.',
  'error.code.captions-no-images':
    "Too few of the captions file's images were found to score them; at least two are needed.",
  'error.code.captions-too-many': 'The captions file has too many rows to evaluate at once: split it.',
  'error.code.captions-too-large': 'The captions file is too large to send (at most 768 KiB): split it.',
  'error.code.captions-unreadable': 'The captions file cannot be read.',
  'error.code.desktop-only': 'Only the ClipSort desktop app can do this; this is a browser.',
  'error.code.duplicates-too-many':
    'So many images are this similar that they are not near-duplicates any more: raise the threshold.',
  'error.code.folder-missing': 'That folder is not there.',
  'error.code.invalid-arguments': "The command's options do not fit together.",
  'error.code.move-unknown': 'There is no such move.',
  'error.code.native-module':
    'A native part of ClipSort is built for another runtime; rebuild it (npm run native:node, or npm start for the desktop app).',
  'error.code.not-undoable':
    'That move cannot be undone (it was an undo, is already undone, or never finished).',
  'error.code.analysis-crashed':
    "The analysis stopped unexpectedly; the library may be too large for this computer's memory.",
  'error.code.copy-denied': 'Permission denied: the file could not be copied.',
  'error.code.copy-failed': 'The file could not be copied.',
  'error.code.too-many-images': 'This method handles fewer images than the library has; use k-means instead.',
  'error.code.invalid-range': 'The smallest value of the range is larger than the largest.',
  'error.code.prompt-file-truncated':
    'The prompt.txt of this class is too long: only its first 16 KiB and 64 prompts were used.',
  'error.code.prompt-file-refused':
    'The prompt.txt of this class is not a regular file, so it was ignored and the class name is used.',
} as const;

export type ErrorMessageKey = keyof typeof enErrors;
