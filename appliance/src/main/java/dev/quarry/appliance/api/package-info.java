/**
 * The appliance's REST resources under {@code /api/v1}: pools and their backend disks, volumes,
 * targets with their LUN maps, initiator access lists and CHAP, portals, sessions, jobs and the
 * OpenAPI document. Handlers run on the admin API's worker threads and call the volume manager
 * and the target manager directly; DTO records here are the wire format.
 */
package dev.quarry.appliance.api;
