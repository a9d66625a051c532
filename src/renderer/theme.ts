import { teamsHighContrastTheme, webDarkTheme, webLightTheme, type Theme } from '@fluentui/react-components';
import { useEffect, useState } from 'react';

export type ThemeName = 'light' | 'dark' | 'high-contrast';

export const THEMES: Record<ThemeName, Theme> = { light: webLightTheme, dark: webDarkTheme, 'high-contrast': teamsHighContrastTheme };

function current(): ThemeName {
  if (typeof window.matchMedia !== 'function') return 'light';
  if (window.matchMedia('(forced-colors: active)').matches) return 'high-contrast';
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** Follows the system's light, dark or high-contrast setting, also when it changes while the app is open. */
export function useSystemTheme(): ThemeName {
  const [name, setName] = useState<ThemeName>(current);
  useEffect(() => {
    if (typeof window.matchMedia !== 'function') return;
    const queries = ['(forced-colors: active)', '(prefers-color-scheme: dark)'].map((q) => window.matchMedia(q));
    const update = (): void => setName(current());
    for (const q of queries) q.addEventListener('change', update);
    return () => queries.forEach((q) => q.removeEventListener('change', update));
  }, []);
  return name;
}
