import { upload } from './client';

export async function uploadAll(files: File[]): Promise<number> {
  let done = 0;
  for (const f of files) {
    await upload(f);
    done++;
  }
  return done;
}
