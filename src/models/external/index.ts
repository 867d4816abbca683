/**
 * External models: a worker program in any language trains and predicts for bhive over the
 * protocol in docs/external-trainer.md, with bhive's loader, sampling and checkpoints.
 */

export { defaultPython, ExternalClassifier, pytorchWorkerScript } from './external-classifier.js';
export type { ExternalModelDefinition } from './external-classifier.js';
export { externalDefinition, externalModelFactory, torchDeepJetDefinition, torchDefinition, torchPartDefinition } from './definitions.js';
export { encodeFrame, FrameDecoder, ProtocolError, protocolVersion } from './protocol.js';
export type { Frame, Payload, PayloadDtype, PayloadHeader } from './protocol.js';
export { readExternalHeader } from './saved-model.js';
export type { ExternalModelHeader } from './saved-model.js';
export { trainExternalLoop } from './external-train-loop.js';
export { WorkerError, WorkerProcess } from './worker-process.js';
export type { WorkerProcessOptions } from './worker-process.js';
