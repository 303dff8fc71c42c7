"""Print the GraphQL schema as SDL: ``python -m api.graphql.sdl > api/schema.graphql``."""

from api.graphql.schema import build_schema

if __name__ == "__main__":
    print(build_schema().as_str())
