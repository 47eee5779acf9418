import type { Request, Response } from 'express';
import path from 'node:path';

const AVATARS = '/var/app/avatars';

export function avatarHeaders(res: Response): void {
  res.setHeader('Cache-Control', 'public, max-age=3600');
}

export function sendAvatar(req: Request, res: Response): void {
  avatarHeaders(res);
  res.sendFile(path.join(AVATARS, req.params.file));
}
