/**
 * Items are the domain object's fields plus key attributes and an `entity` tag. Reads strip the keys again.
 * The table is written only by these adapters, so an item read back has the shape its `entity` tag says; the tag is
 * checked so a key-layout mistake fails loudly instead of returning the wrong kind of record.
 */
const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'entity', 'expiresAt', 'outbox'] as const;

export const fromItem = <T>(item: Record<string, unknown>, entity: string): T => {
  if (item.entity !== entity) throw new Error(`Expected a ${entity} item, found ${String(item.entity)} at ${String(item.pk)}`);
  const copy: Record<string, unknown> = { ...item };
  for (const attribute of KEY_ATTRIBUTES) delete copy[attribute];
  return copy as T;
};

/** SET expression for every attribute of `fields` (names and values escaped). */
export const setExpression = (fields: Record<string, unknown>, prefix = 'f') => {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const assignments = Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([name, value], index) => {
      names[`#${prefix}${index}`] = name;
      values[`:${prefix}${index}`] = value;
      return `#${prefix}${index} = :${prefix}${index}`;
    });
  return { assignments, names, values };
};
