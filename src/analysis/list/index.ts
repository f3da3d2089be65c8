// `netpol list`: the exact connectivity list (list.ts), its focus filters (filter.ts) and its class-grouped form (class-list.ts).
export { listConnections, emptyRanges, hasAny, normalize, type ConnectionList, type ListConnection, type ListEnd, type ListOptions, type PortRanges } from './list.js';
export { parseEndFilter, parsePortFilter, type EndFilter, type PortFilter } from './filter.js';
export { certainOnly, listDepends, subtractRanges, type ListDepends } from './depends.js';
export { serviceFilters } from './services.js';
export { listClasses, type ClassList, type ClassEnd, type ClassConnection, type ClassDepends, type ClassDests, type ClassListOptions } from './class-list.js';
