# graphload for scheduled ETL jobs: point it at a server with NEO4J_URI, NEO4J_USERNAME and
# NEO4J_PASSWORD_FILE (a mounted secret) or NEO4J_PASSWORD, mount the pipeline and its data, run.
#   docker build -t graphload .
#   docker run --rm -e NEO4J_URI=neo4j+s://… -e NEO4J_USERNAME=neo4j -e NEO4J_PASSWORD \
#     -v "$PWD:/work" graphload run pipelines/northwind.yaml --resume
# Node 24 is an LTS line with security fixes until April 2028 (20 ended in April 2026); the
# slim variant is Debian's current stable with only what Node needs.
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:24-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY bin ./bin
RUN useradd --system --uid 10001 --home-dir /work graphload && mkdir -p /work && chown graphload /work
USER 10001
WORKDIR /work
ENTRYPOINT ["node", "/app/bin/graphload.js"]
CMD ["--help"]
