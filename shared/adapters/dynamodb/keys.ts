/**
 * Key layout of the single table. Partition keys are `<tenantId>#<ENTITY>#<id>` so one tenant's items spread over
 * many partitions; sort keys name the item kind within an entity's partition.
 */
export const tenantKey = (tenantId: string) => ({ pk: `${tenantId}#TENANT`, sk: 'TENANT' });

export const apiKeyKey = (tenantId: string, apiKeyHash: string) => ({ pk: `${tenantId}#APIKEY#${apiKeyHash}`, sk: 'APIKEY' });
