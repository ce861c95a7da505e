/** Accessibility checks shared by end-to-end tests: axe (WCAG 2.1 AA) and 48 px targets. */
import AxeBuilder from "@axe-core/playwright";
import type { Locator, Page } from "@playwright/test";

/** WCAG 2.1 A and AA rules; serious and critical findings, named by where they were found. */
export async function seriousViolations(page: Page, where: string, include?: string) {
  let builder = new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]);
  if (include) builder = builder.include(include);
  const result = await builder.analyze();
  return result.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => ({
      where,
      id: violation.id,
      impact: violation.impact,
      nodes: violation.nodes.map((node) => node.target.join(" ")).slice(0, 5),
    }));
}

/** Buttons and links inside `scope` smaller than 48 x 48 CSS px (WCAG 2.5.5, our rule). */
export async function smallTargets(scope: Locator): Promise<string[]> {
  return scope.evaluate((root) =>
    [...root.querySelectorAll<HTMLElement>("button, a[href], label.tile, label.file-button")]
      .filter((element) => element.offsetParent !== null)
      .map((element) => {
        const rect = element.getBoundingClientRect();
        const text = (element.textContent || element.getAttribute("aria-label") || "").trim();
        return { text: text.slice(0, 30), width: rect.width, height: rect.height };
      })
      .filter((size) => size.width < 47.5 || size.height < 47.5)
      .map((size) => `"${size.text}" ${size.width}x${size.height}`),
  );
}
