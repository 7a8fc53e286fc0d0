# graphload for scheduled ETL jobs: point it at a server with NEO4J_URI, NEO4J_USERNAME,
# NEO4J_PASSWORD (and NEO4J_DATABASE), mount the pipeline and its data, run.
#   docker build -t graphload .
#   docker run --rm -e NEO4J_URI=neo4j+s://… -e NEO4J_USERNAME=neo4j -e NEO4J_PASSWORD \
#     -v "$PWD:/work" graphload run pipelines/northwind.yaml
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY bin ./bin
RUN useradd --system --uid 10001 --home-dir /work graphload && mkdir -p /work && chown graphload /work
USER graphload
WORKDIR /work
ENTRYPOINT ["node", "/app/bin/graphload.js"]
CMD ["--help"]
