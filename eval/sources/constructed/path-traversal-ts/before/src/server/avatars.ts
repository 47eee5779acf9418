import type { Request, Response } from 'express';

export function avatarHeaders(res: Response): void {
  res.setHeader('Cache-Control', 'public, max-age=3600');
}
