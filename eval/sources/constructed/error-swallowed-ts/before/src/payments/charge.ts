import { gateway } from './gateway';

export interface ChargeResult {
  ok: boolean;
  id?: string;
}
