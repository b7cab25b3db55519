/**
 * Checks the shape of an incoming activity before the SDK sees it, so that malformed input gets a
 * clear 400 instead of an error deep inside the SDK: the fields the bot and the SDK read as text are
 * text, identities are small objects with a text id, a reply address exists, invokes carry the value
 * their name needs, and the JSON is not absurdly deep.
 */
export function checkActivity(activity: Record<string, unknown>): string | undefined {
  if (depthOver(activity, MAX_DEPTH)) return `The activity is nested more than ${MAX_DEPTH} levels deep.`;
  for (const field of ['type', 'id', 'locale', 'name', 'text', 'channelId', 'replyToId', 'action']) {
    const value = activity[field];
    if (value !== undefined && value !== null && typeof value !== 'string') return `"${field}" must be text.`;
  }
  for (const field of ['from', 'recipient', 'conversation']) {
    const value = activity[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'object' || Array.isArray(value)) return `"${field}" must be an object.`;
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      if (['id', 'name', 'aadObjectId', 'tenantId', 'conversationType', 'role'].includes(key) && inner !== undefined && inner !== null && typeof inner !== 'string') return `"${field}.${key}" must be text.`;
    }
  }
  const serviceUrl = activity['serviceUrl'];
  if (typeof serviceUrl !== 'string' || !/^https?:\/\/[^\s]+$/i.test(serviceUrl)) return 'The activity needs a "serviceUrl" (http or https) to reply to.';
  if (activity['type'] === 'invoke') {
    const value = activity['value'];
    const name = activity['name'];
    if (name === 'adaptiveCard/action') {
      const action = (value as { action?: unknown } | null)?.action;
      if (typeof action !== 'object' || action === null || Array.isArray(action)) return 'An adaptiveCard/action invoke needs value.action.';
    }
    if (typeof name === 'string' && name.startsWith('composeExtension/')) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return `A ${name} invoke needs a value object.`;
      const parameters = (value as { parameters?: unknown }).parameters;
      if (parameters !== undefined && (!Array.isArray(parameters) || parameters.some((p) => typeof p !== 'object' || p === null))) return 'value.parameters must be a list of objects.';
    }
    if (name === 'fileConsent/invoke' && (typeof value !== 'object' || value === null)) return 'A fileConsent/invoke needs a value object.';
  }
  return undefined;
}

const MAX_DEPTH = 64;

/** True when `value` nests deeper than `max`, without recursion (so a deep value cannot overflow). */
function depthOver(value: unknown, max: number): boolean {
  const stack: { v: unknown; d: number }[] = [{ v: value, d: 0 }];
  while (stack.length > 0) {
    const { v, d } = stack.pop()!;
    if (d > max) return true;
    if (typeof v === 'object' && v !== null) for (const child of Object.values(v)) if (typeof child === 'object' && child !== null) stack.push({ v: child, d: d + 1 });
  }
  return false;
}
