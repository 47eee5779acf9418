import { upload } from './client';

/** Uploads in parallel; rejects if any upload fails. */
export async function uploadAll(files: File[]): Promise<number> {
  await Promise.all(files.map((f) => upload(f)));
  return files.length;
}
