package dev.quarry.admin.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Netty's aggregator, but a body over the limit is answered like every other error: a 413
 * problem detail of type {@code payload-too-large} (Netty's own answer has no body), and the
 * connection is closed because the rest of the body is still on its way.
 *
 * <p>Not thread-safe; one per connection, confined to its event loop.
 */
final class ProblemAggregator extends HttpObjectAggregator {

    ProblemAggregator(int maxContentLength) {
        super(maxContentLength);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
        if (!(oversized instanceof HttpRequest request)) {
            super.handleOversizedMessage(ctx, oversized);
            return;
        }
        FullHttpResponse response = HttpApiHandler.problem(new ApiException(413, "payload-too-large", "Request body too large",
                "the API takes bodies of at most " + maxContentLength() + " bytes"), request.uri());
        HttpUtil.setContentLength(response, response.content().readableBytes());
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
