export type ThemeChoice = "system" | "light" | "dark";

const storageKey = "rm-theme";

export function storedTheme(): ThemeChoice {
  const value = localStorage.getItem(storageKey);
  return value === "light" || value === "dark" ? value : "system";
}

/** Applies the choice to <html data-theme>; "system" follows prefers-color-scheme. */
export function applyTheme(choice: ThemeChoice) {
  if (choice === "system") {
    document.documentElement.removeAttribute("data-theme");
    localStorage.removeItem(storageKey);
  } else {
    document.documentElement.setAttribute("data-theme", choice);
    localStorage.setItem(storageKey, choice);
  }
}
