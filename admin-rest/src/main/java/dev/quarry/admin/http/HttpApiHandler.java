package dev.quarry.admin.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches one aggregated HTTP request: parse the path on the event loop, run the route's
 * handler on a worker, write the JSON answer (or a problem detail) back.
 *
 * <p>Not thread-safe; one instance per connection, confined to its event loop except for the
 * handler call, which touches only the immutable {@link ApiRequest}.
 */
final class HttpApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(HttpApiHandler.class);
    private static final String JSON = "application/json";
    private static final String PROBLEM_JSON = "application/problem+json";

    private final Router router;
    private final Executor workers;
    private final TokenAuthenticator auth;

    HttpApiHandler(Router router, Executor workers, TokenAuthenticator auth) {
        this.router = router;
        this.workers = workers;
        this.auth = auth;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        String uri = request.uri();
        if (!request.decoderResult().isSuccess()) {
            write(ctx, keepAlive, problem(ApiException.badRequest("malformed HTTP request"), uri));
            return;
        }
        QueryStringDecoder decoder = new QueryStringDecoder(uri);
        ApiRequest apiRequest;
        Router.Match match;
        try {
            match = router.match(request.method(), segments(decoder.rawPath()));
            authorize(match.route().access(), request.headers().get(HttpHeaderNames.AUTHORIZATION));
            HttpHeaders headers = request.headers().copy().remove(HttpHeaderNames.AUTHORIZATION);
            apiRequest = new ApiRequest(request.method(), decoder.path(), match.pathParams(), decoder.parameters(),
                    headers, ByteBufUtil.getBytes(request.content()));
        } catch (ApiException e) {
            write(ctx, keepAlive, problem(e, decoder.path()));
            return;
        }
        try {
            workers.execute(() -> write(ctx, keepAlive, serve(match.route(), apiRequest)));
        } catch (RejectedExecutionException e) {
            write(ctx, keepAlive, problem(new ApiException(503, "busy", "Service busy", "too many requests in flight"), uri));
        }
    }

    /** 401 without a known token, 403 when the token's role does not reach the route's access. */
    private void authorize(Access access, String authorization) {
        if (access == Access.OPEN) {
            return;
        }
        Role role = auth.authenticate(authorization).orElseThrow(() -> new ApiException(401, "unauthorized",
                "Authentication required", "send Authorization: Bearer <token> with a token from the configuration file"));
        if (!role.permits(access)) {
            throw new ApiException(403, "forbidden", "Not allowed for this token", "this operation needs an admin token");
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            ctx.close();
        } else {
            super.userEventTriggered(ctx, event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("admin connection {} failed", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }

    /** Runs on a worker: the handler may block on services. */
    private FullHttpResponse serve(Route route, ApiRequest request) {
        try {
            ApiResponse response = route.handler().handle(request);
            return render(response);
        } catch (ApiException e) {
            return problem(e, request.path());
        } catch (Exception e) {
            LOG.error("{} {} failed", request.method(), request.path(), e);
            return problem(new ApiException(500, "internal", "Internal error", "the request failed; see the appliance log"),
                    request.path());
        }
    }

    private static FullHttpResponse render(ApiResponse response) throws Exception {
        String contentType = JSON;
        byte[] body;
        if (response.body() instanceof ApiResponse.Raw raw) {
            contentType = raw.contentType();
            body = raw.bytes();
        } else {
            body = response.body() == null ? new byte[0] : Json.MAPPER.writeValueAsBytes(response.body());
        }
        FullHttpResponse http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(response.status()), Unpooled.wrappedBuffer(body));
        if (body.length > 0) {
            http.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        response.headers().forEach((name, value) -> http.headers().set(name, value));
        return http;
    }

    static FullHttpResponse problem(ApiException error, String instance) {
        byte[] body;
        try {
            body = Json.MAPPER.writeValueAsBytes(error.toProblem(instance));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a problem detail must always serialise", e);
        }
        FullHttpResponse http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(error.status()), Unpooled.wrappedBuffer(body));
        http.headers().set(HttpHeaderNames.CONTENT_TYPE, PROBLEM_JSON);
        if (error.status() == 401) {
            http.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"quarry\"");
        }
        if (error instanceof Router.MethodNotAllowedException notAllowed) {
            http.headers().set(HttpHeaderNames.ALLOW, String.join(", ", notAllowed.allowed()));
        }
        return http;
    }

    private static void write(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse response) {
        HttpUtil.setContentLength(response, response.content().readableBytes());
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** "/api/v1/pools/a%2Fb/" → [api, v1, pools, a/b]: split raw, then decode each segment. */
    static List<String> segments(String rawPath) {
        String trimmed = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        List<String> segments = new ArrayList<>();
        for (String raw : trimmed.split("/", -1)) {
            segments.add(QueryStringDecoder.decodeComponent(raw));
        }
        return segments;
    }
}
