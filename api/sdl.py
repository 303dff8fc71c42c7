"""Print the GraphQL schema as SDL: ``python -m api.sdl > api/schema.graphql``."""

from api.schema import build_schema

if __name__ == "__main__":
    print(build_schema().as_str())
