// Icons as inline SVG: handheld browsers do not all carry an emoji font.
const PATHS = {
  camera: "M4 8h3l2-3h6l2 3h3v11H4z M12 16.5a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7z",
  keyboard: "M3 6h18v12H3z M6 9h1 M9 9h1 M12 9h1 M15 9h1 M18 9h0.5 M6 12h1 M9 12h1 M12 12h1 M15 12h1 M18 12h0.5 M8 15h8",
} as const;

export function Icon({ name, size = 28 }: { name: keyof typeof PATHS; size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2"
      stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">
      <path d={PATHS[name]} />
    </svg>
  );
}
