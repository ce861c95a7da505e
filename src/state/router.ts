/** Hash routes, so the static build works on any web server without rewrites. */
import { type Route, route } from "./store";

export function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  if (parts[0] === "project" && parts[1]) {
    if (parts[2] === "sites") return { screen: "sites", projectId: parts[1] };
    if (parts[2] === "lighting") return { screen: "lighting", projectId: parts[1] };
    if (parts[2] === "plan" && !parts[3]) return { screen: "plan", projectId: parts[1] };
    if (parts[2] === "report" && parts[3] === "strategy") {
      return { screen: "strategyReport", projectId: parts[1] };
    }
    if (parts[2] === "report" && parts[3] === "walk" && parts[4]) {
      return { screen: "walkReport", projectId: parts[1], walkId: parts[4] };
    }
    return { screen: "project", projectId: parts[1] };
  }
  if (parts[0] === "walk" && parts[1]) {
    const view = parts[2] === "list" ? "list" : parts[2] === "about" ? "about" : "map";
    return { screen: "walk", walkId: parts[1], view };
  }
  if (parts[0] === "settings") return { screen: "settings" };
  if (parts[0] === "offline-area") {
    return parts[1] ? { screen: "offlineArea", walkId: parts[1] } : { screen: "offlineArea" };
  }
  if (parts[0] === "accessibility") return { screen: "accessibility" };
  return { screen: "home" };
}

export function hrefFor(target: Route): string {
  switch (target.screen) {
    case "home":
      return "#/";
    case "project":
      return `#/project/${encodeURIComponent(target.projectId)}`;
    case "sites":
      return `#/project/${encodeURIComponent(target.projectId)}/sites`;
    case "lighting":
      return `#/project/${encodeURIComponent(target.projectId)}/lighting`;
    case "plan":
      return `#/project/${encodeURIComponent(target.projectId)}/plan`;
    case "strategyReport":
      return `#/project/${encodeURIComponent(target.projectId)}/report/strategy`;
    case "walkReport":
      return `#/project/${encodeURIComponent(target.projectId)}/report/walk/${encodeURIComponent(target.walkId)}`;
    case "walk":
      return `#/walk/${encodeURIComponent(target.walkId)}${target.view === "map" ? "" : `/${target.view}`}`;
    case "settings":
      return "#/settings";
    case "offlineArea":
      return target.walkId
        ? `#/offline-area/${encodeURIComponent(target.walkId)}`
        : "#/offline-area";
    case "accessibility":
      return "#/accessibility";
  }
}

export function navigate(target: Route): void {
  const href = hrefFor(target);
  if (location.hash !== href) location.hash = href;
  else route.value = target;
}

export function followHash(onChange: (next: Route) => void): void {
  const apply = () => {
    const next = parseHash(location.hash);
    route.value = next;
    onChange(next);
  };
  addEventListener("hashchange", apply);
  apply();
}
