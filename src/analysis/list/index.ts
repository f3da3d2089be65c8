// `netpol list`: the exact connectivity list (list.ts) and its focus filters (filter.ts).
export { listConnections, emptyRanges, hasAny, type ConnectionList, type ListConnection, type ListEnd, type ListOptions, type PortRanges } from './list.js';
export { parseEndFilter, parsePortFilter, type EndFilter, type PortFilter } from './filter.js';
export { certainOnly, listDepends, type ListDepends } from './depends.js';
export { serviceFilters } from './services.js';
