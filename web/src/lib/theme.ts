export type ThemeChoice = "system" | "light" | "dark";

const storageKey = "rm-theme";
const systemDark = () => window.matchMedia?.("(prefers-color-scheme: dark)");
let followSystem: (() => void) | null = null;

export function storedTheme(): ThemeChoice {
  const value = localStorage.getItem(storageKey);
  return value === "light" || value === "dark" ? value : "system";
}

/**
 * Applies the choice as <html data-theme="light|dark">, the one switch the stylesheet reads (so the
 * dark palette is written once); "system" follows prefers-color-scheme, also when it changes.
 */
export function applyTheme(choice: ThemeChoice) {
  const media = systemDark();
  if (followSystem) {
    media?.removeEventListener("change", followSystem);
    followSystem = null;
  }
  if (choice === "system") {
    localStorage.removeItem(storageKey);
    followSystem = () => document.documentElement.setAttribute("data-theme", media?.matches ? "dark" : "light");
    followSystem();
    media?.addEventListener("change", followSystem);
  } else {
    localStorage.setItem(storageKey, choice);
    document.documentElement.setAttribute("data-theme", choice);
  }
}
