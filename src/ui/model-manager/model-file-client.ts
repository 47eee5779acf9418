/**
 * Stores a .gguf file the user picked through the engine host, which owns the model storage
 * (`models/import-file`). Runtime messages cannot carry a File in Chrome, so the file goes over a
 * BroadcastChannel of the extension's origin when the host asks for it; the host reports progress
 * there too. The host's side is src/host/model-file-import.ts.
 */
import { MODEL_FILE_CHANNEL, MODEL_FILE_KINDS, hasKind, type ModelFileMessage, type ModelQueryResponse } from '../../protocol';
import { MODEL_FILE_SCHEMA, checkMessage } from '../../protocol-schema';
import type { AskHost } from './host-client';
import type { FileChannel } from '../../host/model-file-import';

export type ImportAnswer = ModelQueryResponse['models/import-file'];

function newImportId(): string {
  return typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/** Sends `file` to the engine host to be stored; `onProgress` gets the bytes written so far. */
export async function importModelFile(
  file: File,
  onProgress: (written: number) => void,
  askHost: AskHost,
  channel: FileChannel = new BroadcastChannel(MODEL_FILE_CHANNEL),
): Promise<ImportAnswer> {
  const importId = newImportId();
  const onMessage = (event: MessageEvent): void => {
    const raw: unknown = event.data;
    if (!hasKind<ModelFileMessage>(raw, MODEL_FILE_KINDS)) return;
    const checked = checkMessage(MODEL_FILE_SCHEMA, raw);
    if (!checked.ok || checked.message.importId !== importId) return;
    const message = checked.message;
    if (message.kind === 'model-file/want') channel.postMessage({ kind: 'model-file/data', importId, file });
    else if (message.kind === 'model-file/progress') onProgress(message.written);
  };
  channel.addEventListener('message', onMessage);
  try {
    return await askHost({ kind: 'models/import-file', importId, name: file.name, size: file.size });
  } finally {
    channel.removeEventListener('message', onMessage);
    channel.close();
  }
}
