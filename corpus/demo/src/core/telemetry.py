"""Tracing: spans are batched and shipped to the collector over OTLP/gRPC."""

from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

from src.core.config import settings


def configure_tracing(app) -> None:
    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: "reports-api"}))
    exporter = OTLPSpanExporter(endpoint=settings.otlp_endpoint, insecure=True)
    provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    app.state.tracer = trace.get_tracer("reports-api")
