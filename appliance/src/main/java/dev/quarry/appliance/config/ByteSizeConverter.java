package dev.quarry.appliance.config;

import picocli.CommandLine;

/** Lets picocli options take sizes as admins write them ("8GiB"). */
public final class ByteSizeConverter implements CommandLine.ITypeConverter<Long> {

    @Override
    public Long convert(String value) {
        try {
            return ByteSize.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
