/**
 * Text made safe inside HTML, as element content or a double-quoted attribute value: the one escaper
 * Cutover uses (event bodies written to Microsoft 365, the comparison's printable page). Keep exactly
 * these four characters: an event's body is part of its change hash (`calendar/planned-event.ts`), so
 * escaping differently would make every event copied before look changed on the next run.
 */
export function escapeHtml(text: string | number | null | undefined): string {
  return String(text ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
