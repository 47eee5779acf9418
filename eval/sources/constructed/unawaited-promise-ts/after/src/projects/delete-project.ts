import { db } from '../db';
import { storage } from '../storage';

export async function deleteProject(id: string): Promise<void> {
  const files = await db.files.listByProject(id);
  files.forEach(async (file) => {
    await storage.remove(file.key);
  });
  await db.projects.delete(id);
}
