import { useId } from 'react';

/**
 * The app icon: a letter moving forward into a new home. The same drawing as assets/icon.svg (from
 * which assets/icon.png, .ico and .icns are made), kept as a component so it needs no image request.
 */
export function AppIcon({ size }: { size: number }) {
  const id = useId().replace(/:/g, '');
  return (
    <svg width={size} height={size} viewBox="0 0 1024 1024" aria-hidden="true" focusable="false">
      <defs>
        <linearGradient id={`${id}-bg`} x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stopColor="#2b88d8" />
          <stop offset="1" stopColor="#0f4c8f" />
        </linearGradient>
      </defs>
      <rect x="32" y="32" width="960" height="960" rx="216" fill={`url(#${id}-bg)`} />
      <rect x="176" y="272" width="560" height="400" rx="56" fill="#ffffff" />
      <path d="M212 320 L456 500 L700 320" fill="none" stroke="#0f5aa8" strokeWidth="44" strokeLinecap="round" strokeLinejoin="round" />
      <circle cx="740" cy="700" r="176" fill="#13a10e" stroke="#ffffff" strokeWidth="36" />
      <path d="M650 700 H820 M760 630 L830 700 L760 770" fill="none" stroke="#ffffff" strokeWidth="48" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
