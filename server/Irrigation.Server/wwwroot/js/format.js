// Formatting helpers. The wire carries integers in tenths (223 = 22.3 °C); the page formats them itself so the
// result never depends on float noise or the browser's locale for the decimal part.

/** Tenths (integer or average) -> "22.3"; null when there is no value. */
export function tenths(value) {
  return scaled(value, 10);
}

/** A wire integer in 1/scale of its unit -> text with as many decimals (scale 10: 223 -> "22.3"); null when none. */
export function scaled(value, scale) {
  if (value === null || value === undefined || !Number.isFinite(Number(value))) return null;
  const digits = Math.max(0, Math.round(Math.log10(scale)));
  const rounded = Math.round(Number(value));
  const sign = rounded < 0 ? '-' : '';
  const abs = Math.abs(rounded);
  if (digits === 0) return `${sign}${abs}`;
  const unit = 10 ** digits;
  return `${sign}${Math.floor(abs / unit)}.${String(abs % unit).padStart(digits, '0')}`;
}

/** Tenths of a litre (a wire's litres) -> "12.3 L". */
export function litres(tenthsOfALitre) {
  return `${tenths(tenthsOfALitre)} L`;
}

/** Seconds -> "4:05" (minutes:seconds) or "1:02:05" for an hour or more. */
export function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Seconds -> "3 d 4 h", "2 h 10 min", "5 min", "40 s". */
export function duration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

/** Unix seconds -> "5 s ago", "3 min ago", "2 h ago", or a date for older. */
export function ago(unixSeconds, nowSeconds) {
  if (!unixSeconds) return 'never';
  const d = Math.max(0, nowSeconds - unixSeconds);
  if (d < 5) return 'just now';
  if (d < 60) return `${Math.floor(d)} s ago`;
  if (d < 3600) return `${Math.floor(d / 60)} min ago`;
  if (d < 86400) return `${Math.floor(d / 3600)} h ago`;
  return dateTime(unixSeconds);
}

/** Unix seconds -> local "14:05:09". */
export function time(unixSeconds) {
  return new Date(unixSeconds * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** Unix seconds -> local "Dec 1, 14:05". */
export function dateTime(unixSeconds) {
  return new Date(unixSeconds * 1000).toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** "soil_moisture" -> "soil moisture"; codes become words. */
export function words(code) {
  return String(code ?? '').replace(/_/g, ' ');
}

/** Now in Unix seconds. */
export function nowSeconds() {
  return Date.now() / 1000;
}

/** Unix seconds -> local "Thu 3 Dec, 14:00" (a day and a time, for rain delays and versions further away). */
export function dayTime(unixSeconds) {
  return new Date(unixSeconds * 1000).toLocaleString([], { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

/** Seconds -> every non-zero part: "1 h 30 min", "1 min 30 s", "2 d", "0 s" (for limits, where rounding would lie). */
export function exactDuration(seconds) {
  const s = Math.abs(Math.round(seconds));
  const parts = [[Math.floor(s / 86400), 'd'], [Math.floor((s % 86400) / 3600), 'h'], [Math.floor((s % 3600) / 60), 'min'], [s % 60, 's']]
    .filter(([n]) => n > 0).map(([n, unit]) => `${n} ${unit}`);
  return (seconds < 0 ? '-' : '') + (parts.join(' ') || '0 s');
}

/** Seconds east of UTC -> "UTC+1", "UTC-3:30", "UTC". */
export function utcOffset(seconds) {
  const s = Number(seconds) || 0;
  if (s === 0) return 'UTC';
  const abs = Math.abs(s);
  const minutes = Math.floor((abs % 3600) / 60);
  return `UTC${s < 0 ? '-' : '+'}${Math.floor(abs / 3600)}${minutes ? `:${String(minutes).padStart(2, '0')}` : ''}`;
}
