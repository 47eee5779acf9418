import { db } from '../db';

export async function seatsLeft(showId: string): Promise<number> {
  const show = await db.shows.get(showId);
  return show.capacity - show.booked;
}

export async function reserveSeat(showId: string, userId: string): Promise<boolean> {
  const left = await seatsLeft(showId);
  if (left <= 0) return false;
  const show = await db.shows.get(showId);
  await db.shows.update(showId, { booked: show.booked + 1 });
  await db.bookings.insert({ showId, userId });
  return true;
}
