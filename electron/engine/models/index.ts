/** Models: the catalogue, where models live, and how they are downloaded, imported, verified and found. */
export {
  loadManifest,
  parseManifest,
  findModelEntry,
  filesForVariant,
  type Manifest,
  type ModelEntry,
  type ModelFigures,
  type ModelFile,
  type ModelStrength,
  type ModelVariant,
} from './manifest.js';
export { defaultModelsHome, type ModelsHomeContext } from './modelsHome.js';
export { DEFAULT_MODEL_ID, MODEL_RECORD_FILE, checkLayout, type LayoutCheck } from './modelLayout.js';
export { resolveInUse, setInUse, claimInUse, installedFolder } from './modelInUse.js';
export { locateModel, type LocateModelOptions } from './locateModel.js';
export { downloadFile, type DownloadOptions, type DownloadedFile } from './download.js';
export { downloadModel, type DownloadModelOptions, type InstalledModel } from './downloadModel.js';
export { importModel, type ImportModelOptions } from './importModel.js';
export { verifyModel, type VerifyReport, type FileCheck } from './verifyModel.js';
export { listModels, type ListModelsOptions, type ModelListing, type InstallState } from './listModels.js';
export { readModelRecord, type ModelRecord, type RecordedFile } from './modelRecord.js';
export { probeRemoteFile, parseDigest, type RemoteFileInfo } from './remoteDigest.js';
export { sha256File, gitBlobSha1File, type FileDigest, type DigestAlgorithm } from './fileHash.js';
