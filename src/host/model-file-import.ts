/**
 * The engine host's side of storing a model file the user picked in an extension page
 * (`models/import-file`): the page keeps the File, the host asks for it on MODEL_FILE_CHANNEL,
 * receives it (a structured clone: the bytes are not copied), writes it into its own storage and
 * reports progress on the same channel. The page's side is src/ui/model-manager/model-file-client.ts.
 */
import type { ModelFileMessage } from '../protocol';
import { MODEL_FILE_SCHEMA, checkMessage } from '../protocol-schema';

/** The part of BroadcastChannel used here (tests pass a real one; Node has it too). */
export interface FileChannel {
  postMessage(message: ModelFileMessage): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  close(): void;
}

/** A received file and a way to tell its page how far the copy is. */
export interface IncomingFile {
  file: Blob;
  progress(written: number): void;
  done(): void;
}

/** How long a page has to send the file it announced (it may have been closed meanwhile). */
export const FILE_WAIT_MS = 15_000;

/**
 * Asks the page that announced `importId` for its file. Rejects when no file of that import comes
 * within `waitMs`.
 */
export function receiveModelFile(importId: string, channel: FileChannel, waitMs = FILE_WAIT_MS): Promise<IncomingFile> {
  return new Promise<IncomingFile>((resolve, reject) => {
    const stop = () => {
      clearTimeout(timer);
      channel.removeEventListener('message', onMessage);
    };
    const fail = () => {
      stop();
      channel.close();
      reject(new Error('The page that picked the file did not send it (was it closed?). Pick the file again.'));
    };
    const timer = setTimeout(fail, waitMs);
    function onMessage(event: MessageEvent): void {
      const raw: unknown = event.data;
      const checked = checkMessage(MODEL_FILE_SCHEMA, raw);
      if (!checked.ok || checked.message.kind !== 'model-file/data' || checked.message.importId !== importId) return;
      const { file } = checked.message;
      stop();
      resolve({
        file,
        progress: (written) => channel.postMessage({ kind: 'model-file/progress', importId, written, total: file.size }),
        done: () => channel.close(),
      });
    }
    channel.addEventListener('message', onMessage);
    channel.postMessage({ kind: 'model-file/want', importId });
  });
}
