import type { User } from '../model';

export function profileTitle(user: User): string {
  return `${user.displayName} (${user.email})`;
}
