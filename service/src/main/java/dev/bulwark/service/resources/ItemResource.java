package dev.bulwark.service.resources;

import dev.bulwark.service.api.ItemPage;
import dev.bulwark.service.api.ItemRequest;
import dev.bulwark.service.core.ItemService;
import dev.bulwark.service.core.ItemService.ItemRead;
import dev.bulwark.service.db.StoredItem;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * The items API: {@code PUT|GET|DELETE /items/{id}} and {@code GET /items?limit=&after=}. Every
 * argument is checked here before anything is read or written. Thread-safe.
 */
@Path("/items")
@Produces(MediaType.APPLICATION_JSON)
public class ItemResource {

    /** Response header telling how a read used the cache: HIT, MISS or BYPASS. */
    public static final String CACHE_HEADER = "X-Cache";

    private final ItemService items;

    public ItemResource(ItemService items) {
        this.items = items;
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id, @Context UriInfo uri) {
        QueryParams.requireOnly(uri);
        ItemRead read = items.get(ItemId.check(id));
        return Response.ok(read.item().orElseThrow(() -> notFound(id)))
                .header(CACHE_HEADER, read.cache().name())
                .build();
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response put(@PathParam("id") String id, @Context UriInfo uri,
                        @NotNull(message = "is required: send {\"name\": ..., \"quantity\": ...}")
                        @Valid ItemRequest body) {
        QueryParams.requireOnly(uri);
        StoredItem stored = items.put(ItemId.check(id), body.name(), body.quantity());
        return Response.status(stored.created() ? Response.Status.CREATED : Response.Status.OK)
                .entity(stored.item())
                .build();
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id, @Context UriInfo uri) {
        QueryParams.requireOnly(uri);
        if (!items.delete(ItemId.check(id))) {
            throw notFound(id);
        }
        return Response.noContent().build();
    }

    @GET
    public ItemPage list(@Context UriInfo uri) {
        QueryParams query = QueryParams.requireOnly(uri, "limit", "after");
        int limit = query.intValue("limit", 50, 1, 500);
        String after = query.value("after").map(ItemId::checkAfter).orElse(null);
        return items.list(after, limit);
    }

    private static NotFoundException notFound(String id) {
        return new NotFoundException("item '" + id + "' not found");
    }
}
