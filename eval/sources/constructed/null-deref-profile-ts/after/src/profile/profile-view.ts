import type { User, Team } from '../model';

export function profileTitle(user: User, teams: Map<string, Team>): string {
  const team = teams.get(user.teamId);
  return `${user.displayName} (${user.email}) · ${team.name}`;
}
