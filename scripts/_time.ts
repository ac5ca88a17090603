const t0 = performance.now();
const { generate } = await import("./generate.ts");
const { renderOverlays } = await import("./render.ts");
const { kustomizeBuild } = await import("./lib/kustomize.ts");
const { REPO_ROOT } = await import("./lib/paths.ts");
const { validateDocuments } = await import("./validate/engine.ts");
const { evaluateRenderedOverlay, loadPolicyConfig } = await import("../policy/run.ts");
console.log("imports", performance.now() - t0);
for (let i = 0; i < 2; i++) {
let t = performance.now();
const g = await generate(REPO_ROOT, { check: true });
console.log("gen", performance.now() - t);
const r = await renderOverlays();
const root = await kustomizeBuild(REPO_ROOT);
console.log("gen+render", performance.now() - t);
let t2 = performance.now();
const v = await validateDocuments(r.map((x) => ({ filename: x.env, content: x.yaml })));
console.log("validate", performance.now() - t2);
t2 = performance.now();
const config = loadPolicyConfig();
for (const x of r) evaluateRenderedOverlay(x.env, x.yaml, { config });
console.log("policy", performance.now() - t2, "total", performance.now() - t);
}
