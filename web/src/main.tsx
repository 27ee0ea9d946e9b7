import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "@/app/App";
import { applyTheme, storedTheme } from "@/lib/theme";
import "@/styles/theme.css";
import "@/styles/base.css";
import "@/styles/components.css";
import "@/styles/layout.css";

applyTheme(storedTheme());

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
