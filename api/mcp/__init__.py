"""The graph for agents: a Model Context Protocol server (tools, resources) over stdio and HTTP."""
