// The policy report formats are the shared ones (scripts/lib/findings): deployability reports alike.
export { renderJson } from "../../scripts/lib/findings/json.ts";
