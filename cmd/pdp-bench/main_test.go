package main

import (
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFlagsOverridePreset(t *testing.T) {
	o, err := parseFlags([]string{"-preset", "medium", "-roles", "7", "-mix", "1/0/0/0/0", "-seed", "9",
		"-duration", "1s"}, io.Discard)
	require.NoError(t, err)
	p, err := o.generatorParams()
	require.NoError(t, err)
	want := Presets["medium"]
	want.Name, want.Roles, want.Mix, want.Seed = "medium-custom", 7, [5]float64{1, 0, 0, 0, 0}, 9
	assert.Equal(t, want, p)
	assert.Equal(t, time.Second, o.cfg.Duration)
	assert.Equal(t, time.Second, o.cfg.MutDuration, "the phase under mutation defaults to -duration")
	assert.Equal(t, uint64(9), o.cfg.Seed)
}

func TestPresetAlone(t *testing.T) {
	o, err := parseFlags([]string{"-preset", "small"}, io.Discard)
	require.NoError(t, err)
	p, err := o.generatorParams()
	require.NoError(t, err)
	assert.Equal(t, Presets["small"], p)
}

func TestFlagErrors(t *testing.T) {
	tests := [][]string{
		{},
		{"-workload", "w.sql", "-preset", "small"},
		{"-workload", "w.sql", "-roles", "3"},
		{"-preset", "small", "extra"},
		{"-preset", "small", "-mix", "1/2"},
		{"-preset", "small", "-sample-every", "0"},
	}
	for _, args := range tests {
		_, err := parseFlags(args, io.Discard)
		assert.Error(t, err, "%q", args)
	}
	o, err := parseFlags([]string{"-preset", "huge"}, io.Discard)
	require.NoError(t, err)
	_, err = o.generatorParams()
	assert.ErrorIs(t, err, errUsage)
}
