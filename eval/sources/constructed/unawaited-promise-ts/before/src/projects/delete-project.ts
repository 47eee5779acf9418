import { db } from '../db';

export async function deleteProject(id: string): Promise<void> {
  await db.projects.delete(id);
}
