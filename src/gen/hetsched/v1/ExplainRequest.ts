// Original file: proto/hetsched/v1/plan_service.proto


export interface ExplainRequest {
  'model'?: (string);
  'version'?: (number);
  'spec'?: (string);
  'planJson'?: (string);
  /**
   * Also render the partitioned graph, coloured by processor.
   */
  'includeDot'?: (boolean);
  'includeSvg'?: (boolean);
  'placement'?: "spec"|"planJson";
}

export interface ExplainRequest__Output {
  'model': (string);
  'version': (number);
  'spec'?: (string);
  'planJson'?: (string);
  /**
   * Also render the partitioned graph, coloured by processor.
   */
  'includeDot': (boolean);
  'includeSvg': (boolean);
  'placement'?: "spec"|"planJson";
}
