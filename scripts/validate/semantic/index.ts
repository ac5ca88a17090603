// Offline API-server validation: the rules (names.ts, image.ts, schedule.ts) and their application to rendered
// objects (objects.ts). Standalone: imports nothing from the project, so the validate package and the settings
// loader share one definition of each rule.
export * from "./names.ts";
export { imageReference } from "./image.ts";
export { cronSchedule, timeZone } from "./schedule.ts";
export { semanticProblems, type SemanticProblem } from "./objects.ts";
