// A response that is not JSON. OpenAPI shows its media type; fastify sends the handler's bytes or
// string as they are, since only objects go through a serializer.
export const mediaResponse = (mediaType: string, description: string, format?: 'binary') => ({
  description,
  content: { [mediaType]: { schema: { type: 'string', ...(format ? { format } : {}) } } },
});
