/** Who the dispatcher's audit rows name: the system, as the process holding the dispatcher lease. */
export const DISPATCHER_ACTOR = { type: 'system', id: null, label: 'dispatcher' } as const;
/** The dispatcher acts on no HTTP request. */
export const NO_REQUEST = { ip: null, userAgent: null } as const;
