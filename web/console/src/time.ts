import { useEffect, useState } from 'preact/hooks';
import type { ConsoleKey } from './i18n.ts';

/** The current time, re-rendered every `everyMs` (the queue's and the claim's live countdowns). */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/**
 * "còn 2 ngày 3 giờ" / "quá hạn 4 giờ 10 phút": the two largest units of the time to (or past) a
 * deadline. Under an hour it counts seconds, so a countdown visibly moves.
 */
export function countdown(dueAt: string, now: number): { key: ConsoleKey; params: Record<string, number> } {
  const diff = Date.parse(dueAt) - now;
  const over = diff < 0;
  const total = Math.floor(Math.abs(diff) / 1000);
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (d > 0) return { key: over ? 'overDays' : 'leftDays', params: { d, h } };
  if (h > 0) return { key: over ? 'overHours' : 'leftHours', params: { h, m } };
  return { key: over ? 'overMinutes' : 'leftMinutes', params: { m, s } };
}
