"""The GraphQL API: strawberry types and schema, mutations, limits and error mapping."""
