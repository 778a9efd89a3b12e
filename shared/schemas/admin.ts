import * as v from 'valibot';

/** Strict objects answer unknown fields with 400 (no mass assignment). */
export const CreateTenantRequestSchema = v.strictObject({
  name: v.pipe(
    v.string('name must be a string'),
    v.trim(),
    v.minLength(1, 'name must not be empty'),
    v.maxLength(200, 'name must be at most 200 characters'),
  ),
});

export type CreateTenantRequest = v.InferOutput<typeof CreateTenantRequestSchema>;
