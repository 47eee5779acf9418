import { db } from '../db';

export async function seatsLeft(showId: string): Promise<number> {
  const show = await db.shows.get(showId);
  return show.capacity - show.booked;
}
