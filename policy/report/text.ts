// The policy report formats are the shared ones (scripts/lib/findings): deployability reports alike.
export { renderText } from "../../scripts/lib/findings/text.ts";
