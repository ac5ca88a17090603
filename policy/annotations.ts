// Annotations the generator writes for the policy plugin (the model imports these; nothing else here).

/** On an HTTPRoute: the Gateways (<namespace>/<name>) it attaches to that live outside the repository (settings: attach). */
export const EXTERNAL_PARENTS_ANNOTATION = "policy.mcp-stack.dev/external-parents";

/** On a Gateway: the certificate Secrets (<namespace>/<name>) a ReferenceGrant outside the repository grants to it. */
export const EXTERNAL_GRANTS_ANNOTATION = "policy.mcp-stack.dev/external-grants";
