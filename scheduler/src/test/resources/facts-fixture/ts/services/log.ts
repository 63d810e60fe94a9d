export default function log(message: string): void {
  console.log(new Date().toISOString(), format(message));
}

/** Same name as ui/format.ts's format. */
export function format(text: string): string {
  return '[' + text + ']';
}
